/**
 * Canonical JSON, used wherever equal values must give equal bytes (event hashes, report digests,
 * request digests, comparisons): object keys sorted at every depth (by UTF-16 code units, as
 * Array.prototype.sort does) and no white space. Only what JSON can carry is allowed: a
 * non-finite number or a value of another kind is refused rather than silently turned into null.
 * Written as plain loops: it runs for every event appended and every request received.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value))
        throw new TypeError(`${value} cannot be stored: it is not a finite number`);
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let text = '[';
        for (let index = 0; index < value.length; index++)
          text += (index === 0 ? '' : ',') + canonicalJson(value[index]);
        return `${text}]`;
      }
      const record = value as Record<string, unknown>;
      let text = '{';
      let first = true;
      for (const key of Object.keys(record).sort()) {
        const member = record[key];
        if (member === undefined) continue;
        text += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
        first = false;
      }
      return `${text}}`;
    }
    default:
      throw new TypeError(`a value of type ${typeof value} cannot be stored in an event`);
  }
}
