import type { RecordedEvent } from '../../events/envelope.ts';
import type { ReadFace } from '../../projections/read-face.ts';

/**
 * Why a form went stale, in words: what was recorded since it was opened, by whom and when, so
 * that the person checks their answers against it before sending the form again.
 */
export function staleNotice(changes: readonly RecordedEvent[], count: number): string[] {
  const lines = changes.map((event) => {
    const at = event.metadata.recordedAt.slice(11, 16);
    const day = event.metadata.recordedAt.slice(0, 10);
    return `${sentenceOf(event.type)}${subjectOf(event.data)} by ${event.metadata.actor.id} at ${at} on ${day}`;
  });
  const more = count - changes.length;
  if (more > 0) lines.push(`and ${more} more change${more === 1 ? '' : 's'}`);
  return lines;
}

/**
 * Where a stream stands now, and what was recorded on it since the version a form was filled in
 * against, in words: what a form refused as stale shows, and the version it is sent with next.
 */
export async function staleSince(
  read: ReadFace,
  streamId: string,
  version: number,
): Promise<{ version: number; notice: string[] }> {
  const now = await read.streamVersion(streamId);
  const changes = await read.changesSince(streamId, version);
  return { version: now, notice: staleNotice(changes, now - version) };
}

/** "VirementApproved.v1" as "Virement approved". */
export function sentenceOf(type: string): string {
  const words = (type.split('.')[0] ?? type).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The fact an event is about, where it names one: the scheme, the invoice, the virement. */
function subjectOf(data: unknown): string {
  if (typeof data !== 'object' || data === null) return '';
  const record = data as Record<string, unknown>;
  const named = ['schemeId', 'virementId', 'variationId', 'spendId', 'quarter', 'partnerId']
    .filter((name) => typeof record[name] === 'string')
    .map(
      (name) =>
        `${name === 'schemeId' ? 'scheme' : name.replace(/Id$/, '')} ${String(record[name])}`,
    );
  const amount = typeof record.amount === 'string' ? `, £${record.amount}` : '';
  return named.length === 0 ? '' : ` (${named.join(', ')}${amount})`;
}
