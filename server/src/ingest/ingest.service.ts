import { AppError, badRequest } from '../platform/errors.js';
import type { PositionPipeline, RejectedFix, WriteOutcome } from './pipeline.js';
import { FixError, type PositionFix } from './position.js';

export type IngestResult = WriteOutcome & { rejected: RejectedFix[] };

/** How a protocol answers a fix of an unknown device: Traccar's OsmAnd answers 400 to the query form and 404 to JSON. */
export type UnknownDeviceStatus = 400 | 404;

/**
 * The one entry of every protocol into the pipeline: parse errors become 400s naming the field,
 * and the answer waits for the commit. A fix refused for its device — unknown, retired, disabled,
 * or sent with a wrong or missing key — gets one and the same answer, so the answers never tell
 * which identities exist: the protocol's status for an unknown device, or `unknown_device` in a
 * batch's `rejected`.
 */
export function createIngestService({ pipeline }: { pipeline: PositionPipeline }) {
  return {
    /** Stores fixes of possibly many devices; refused fixes are reported, the others stored. */
    async ingestMany(fixes: PositionFix[], bearerKey?: string | null): Promise<IngestResult> {
      const { prepared, rejected } = await pipeline.prepare(fixes, bearerKey);
      const outcome = await pipeline.write(prepared);
      return { ...outcome, rejected: rejected.map((r) => ({ ...r, reason: 'unknown_device' as const })) };
    },

    /**
     * Stores the fixes of one device request; a refused device refuses the whole request. The
     * ranger page (`viaSession`) is vouched for by the signed-in ranger's session instead of a key.
     */
    async ingestDevice(
      fixes: PositionFix[],
      unknownStatus: UnknownDeviceStatus,
      bearerKey?: string | null,
      viaSession = false,
    ): Promise<WriteOutcome> {
      const { prepared, rejected } = await pipeline.prepare(fixes, bearerKey, viaSession);
      const refusal = rejected[0];
      if (refusal) {
        const message = `Unknown device ${refusal.uniqueId}, or a wrong or missing key`;
        throw new AppError(unknownStatus, 'unknown_device', message, [{ path: 'id', message }]);
      }
      return pipeline.write(prepared);
    },

    pipeline,
  };
}
export type IngestService = ReturnType<typeof createIngestService>;

/** Runs a protocol parser, turning its field error into a 400 on `<where>.<field>`. */
export function parseOr400<T>(where: 'query' | 'body', parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof FixError) {
      const path = [where, error.field].filter(Boolean).join('.');
      throw badRequest(error.message, [{ path, message: error.message }]);
    }
    throw error;
  }
}

/** A device key from `Authorization` (shared with the camera pushes, so it lives with the device keys). */
export { keyFromAuthorization } from '../modules/devices/device-keys.js';
