/** Matching a request to an endpoint id, from the one endpoint table (src/feishu/endpoints.ts). */
import { ENDPOINTS, ENDPOINT_IDS, type EndpointId } from '../feishu/endpoints.js';
import { SandboxError } from './envelope.js';

interface Route {
  id: EndpointId;
  method: string;
  pattern: RegExp;
  paramNames: string[];
}

const ROUTES: Route[] = ENDPOINT_IDS.map((id) => {
  const { method, path } = ENDPOINTS[id];
  const paramNames: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      paramNames.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { id, method, pattern: new RegExp(`^${source}/?$`), paramNames };
})
  // Literal paths first, so `/files/task_check` never reads as a `:file_token`.
  .sort((a, b) => a.paramNames.length - b.paramNames.length);

export function matchRoute(method: string, pathname: string): { id: EndpointId; params: Record<string, string> } | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    const params: Record<string, string> = {};
    route.paramNames.forEach((name, i) => {
      try {
        params[name] = decodeURIComponent(match[i + 1]!);
      } catch {
        throw new SandboxError(1061002, `path parameter ${name} is not valid percent-encoding`);
      }
    });
    return { id: route.id, params };
  }
  return undefined;
}
