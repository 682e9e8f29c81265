import { connect } from 'amqplib';
import { Redis } from 'ioredis';

/**
 * Removes the queue (RabbitMQ) or stream (Redis) a test made under its own name on the machine's
 * shared broker, so that runs leave nothing behind there.
 */
export async function removeBrokerQueue(url: string, name: string): Promise<void> {
  if (url.startsWith('amqp')) {
    const connection = await connect(url);
    try {
      await (await connection.createChannel()).deleteQueue(name);
    } finally {
      await connection.close();
    }
    return;
  }
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.del(name);
  } finally {
    redis.disconnect();
  }
}
