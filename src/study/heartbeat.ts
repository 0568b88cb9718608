import { getLogger } from '../logging.js';
import type { Storage } from '../storage/base.js';

const logger = getLogger('study');

/**
 * Fails every RUNNING trial of the study whose worker stopped sending heartbeats, logging
 * each; a no-op on stores without heartbeats.
 */
export async function failStaleTrials(storage: Storage, studyId: number): Promise<void> {
  const heartbeat = storage.heartbeat;
  if (heartbeat === undefined) return;
  for (const id of await heartbeat.failStaleTrials(studyId)) {
    const trial = await storage.getTrial(id);
    logger.warn(
      `Trial ${trial.number} failed: its worker stopped sending heartbeats ` +
        `(no beat for ${heartbeat.gracePeriodSeconds} s).`,
    );
  }
}

/**
 * Records a first heartbeat of a trial and keeps beating every interval until the returned
 * function is called. The timer is unref'd: it never keeps the process alive by itself.
 */
export async function startHeartbeat(storage: Storage, trialId: number): Promise<() => void> {
  const heartbeat = storage.heartbeat;
  if (heartbeat === undefined) return () => undefined;
  await heartbeat.recordHeartbeat(trialId);
  const beat = (): void => {
    heartbeat.recordHeartbeat(trialId).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      logger.warn(`Trial heartbeat could not be stored: ${reason}`);
    });
  };
  const timer = setInterval(beat, heartbeat.intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
