/**
 * The JSON Schema of the settings file (src/config/settings.ts describes the
 * same shape as TypeScript types). One schema serves the CLI validator
 * (validateSettings), `conf`, and electron-store in the tray app:
 *   new Store({ schema: SETTINGS_JSON_SCHEMA.properties, ... })
 */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null' | ('object' | 'null' | 'string')[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: readonly (string | number | boolean | null)[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  pattern?: string;
}

const mappingSchema: JsonSchema = {
  type: 'object',
  description: 'One local folder synced to one Feishu Drive folder.',
  properties: {
    id: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9_-]+$', description: 'Stable id, e.g. "m1".' },
    localPath: { type: 'string', minLength: 1, description: 'Absolute local folder.' },
    folderToken: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9_-]+$', description: 'Remote Drive folder token.' },
    folderUrl: { type: 'string', description: 'URL of the remote folder.' },
    deletePolicy: { type: 'string', enum: ['keep', 'trash'], description: 'What a local delete does remotely.' },
    ignore: { type: 'array', items: { type: 'string' }, description: 'Extra gitignore-syntax patterns.' },
    paused: { type: 'boolean', description: 'This mapping is paused.' },
  },
  required: ['id', 'localPath', 'folderToken', 'deletePolicy', 'ignore', 'paused'],
  additionalProperties: false,
};

export const SETTINGS_JSON_SCHEMA: JsonSchema & { properties: Record<string, JsonSchema> } = {
  type: 'object',
  properties: {
    schemaVersion: { type: 'integer', minimum: 0, description: 'Version of this file format.' },
    account: {
      type: ['object', 'null'],
      description: 'The Feishu app FeiSync uses (the secret lives in the keychain, never here).',
      properties: {
        cloud: { type: 'string', minLength: 1, description: '"feishu", "lark" or a base URL.' },
        appId: { type: 'string', minLength: 1 },
        identity: { type: 'string', enum: ['tenant', 'user'] },
      },
      required: ['cloud', 'appId', 'identity'],
      additionalProperties: false,
    },
    mappings: { type: 'array', items: mappingSchema, description: 'Local folders and the Drive folders they sync to.' },
    limits: {
      type: 'object',
      description: 'Pacing, quota and concurrency.',
      properties: {
        bandwidthBytesPerSec: { type: 'integer', minimum: 0, description: 'Upload bytes per second; 0 = unlimited.' },
        quotaReserve: { type: 'number', minimum: 0, maximum: 0.5, description: 'Fraction of each daily quota kept for explicit sends.' },
        fileConcurrency: { type: 'integer', minimum: 1, maximum: 32, description: 'Files uploaded at once.' },
        blockConcurrency: { type: 'integer', minimum: 1, maximum: 16, description: 'Blocks of one file uploaded at once.' },
        qps: { type: 'number', minimum: 0.1, maximum: 1000, description: 'Requests per second per endpoint (Feishu allows 5).' },
        qpsPerEndpoint: { type: 'object', additionalProperties: { type: 'number', minimum: 0.1 }, description: 'Per-endpoint overrides of qps, by endpoint id.' },
        dailyQuota: { type: 'integer', minimum: 1, description: 'Calls per endpoint per day (Feishu allows 10,000).' },
        quotaTimeZone: { type: 'string', minLength: 1, description: 'IANA zone whose midnight resets the daily quota.' },
      },
      required: [
        'bandwidthBytesPerSec',
        'quotaReserve',
        'fileConcurrency',
        'blockConcurrency',
        'qps',
        'qpsPerEndpoint',
        'dailyQuota',
        'quotaTimeZone',
      ],
      additionalProperties: false,
    },
    rescanIntervalSec: { type: 'integer', minimum: 10, description: 'Seconds between full rescans in watch mode.' },
    settleMs: { type: 'integer', minimum: 0, description: 'Milliseconds a file must stay unchanged before it is uploaded.' },
    language: { type: 'string', enum: ['auto', 'en', 'zh-CN'], description: '"auto" follows the OS locale.' },
    startAtLogin: { type: 'boolean', description: 'Start the tray app at login.' },
    notifications: { type: 'boolean', description: 'Desktop notifications from the tray app.' },
    paused: { type: 'boolean', description: 'All syncing paused by the user (`feisync pause`).' },
  },
  required: [
    'schemaVersion',
    'account',
    'mappings',
    'limits',
    'rescanIntervalSec',
    'settleMs',
    'language',
    'startAtLogin',
    'notifications',
  ],
  additionalProperties: false,
};
