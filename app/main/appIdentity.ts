/** The app's identity, as electron-builder.yml declares it (a test keeps the two equal). */
export const APP_ID = 'cn.feisync.app';
export const PRODUCT_NAME = 'FeiSync';
