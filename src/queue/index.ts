import type { Logger } from 'pino';
import type { Database } from '../db/client.js';
import { DatabaseQueue } from './db.js';
import type { EventQueue } from './port.js';

/**
 * The queue named by QUEUE_URL: `amqp://` RabbitMQ, `redis://` Redis Streams, or (unset) the
 * database inbox itself. Every adapter carries only event ids; the inbox stays the truth. A
 * broker's client library is loaded only when its adapter is used.
 */
export async function createEventQueue(
  queueUrl: string | undefined,
  queueName: string,
  database: Database,
  logger: Logger,
): Promise<EventQueue> {
  if (!queueUrl) return new DatabaseQueue(database);
  const queueLogger = logger.child({ component: 'queue' });
  const protocol = new URL(queueUrl).protocol;
  if (protocol === 'amqp:' || protocol === 'amqps:') {
    const { RabbitMqQueue } = await import('./rabbitmq.js');
    return new RabbitMqQueue({ url: queueUrl, queueName, logger: queueLogger });
  }
  if (protocol === 'redis:' || protocol === 'rediss:') {
    const { RedisStreamsQueue } = await import('./redis-streams.js');
    return new RedisStreamsQueue({ url: queueUrl, stream: queueName, logger: queueLogger });
  }
  throw new Error(`QUEUE_URL has an unsupported protocol ${protocol}`);
}
