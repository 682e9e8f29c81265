/** The part of a pino logger the queue adapters use; pass the app's logger or a child of it. */
export interface QueueLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

const ignore = () => {};

export const silentLogger: QueueLogger = { info: ignore, warn: ignore, error: ignore };
