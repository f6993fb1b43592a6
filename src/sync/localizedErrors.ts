/**
 * The engine speaks English (its log's language); what the user reads is
 * shown in their language. These rewrite the remedies of the error infos in
 * an engine state or event for a display language — nothing else changes.
 */
import type { Lang } from '../i18n/language.js';
import { localizeRemedy } from '../i18n/localizeRemedy.js';
import type { EngineErrorInfo, EngineEvent, EngineState, MappingState } from './engineApi.js';

export function localizeError(info: EngineErrorInfo, lang: Lang): EngineErrorInfo {
  const remedy = localizeRemedy(info.code, info.remedy, lang);
  return remedy === info.remedy ? info : { ...info, remedy };
}

function localizeMapping(m: MappingState, lang: Lang): MappingState {
  return m.error ? { ...m, error: localizeError(m.error, lang) } : m;
}

export function localizeState(state: EngineState, lang: Lang): EngineState {
  if (lang === 'en') return state;
  return {
    ...state,
    mappings: state.mappings.map((m) => localizeMapping(m, lang)),
    lastErrors: state.lastErrors.map((e) => localizeError(e, lang)),
  };
}

export function localizeEvent(event: EngineEvent, lang: Lang): EngineEvent {
  if (lang === 'en') return event;
  switch (event.type) {
    case 'state':
      return { ...event, state: localizeState(event.state, lang) };
    case 'mapping':
      return { ...event, mapping: localizeMapping(event.mapping, lang) };
    case 'error':
      return { ...event, error: localizeError(event.error, lang) };
    case 'sendDone':
      return { ...event, results: event.results.map((r) => (r.error ? { ...r, error: localizeError(r.error, lang) } : r)) };
    default:
      return event;
  }
}
