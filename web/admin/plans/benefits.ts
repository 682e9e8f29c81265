export type BenefitValue = boolean | number | string;

/**
 * Benefits are typed one per line as `key = value`: `true`/`false` become a flag, whole numbers a
 * limit, anything else text — the three kinds the API accepts. A bare key is a flag that is on.
 */
export function parseBenefits(text: string): Array<{ key: string; value: BenefitValue }> {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const at = line.indexOf('=');
      if (at < 0) return { key: line, value: true };
      const key = line.slice(0, at).trim();
      const raw = line.slice(at + 1).trim();
      if (raw === 'true' || raw === 'false') return { key, value: raw === 'true' };
      if (/^\d+$/.test(raw)) return { key, value: Number(raw) };
      return { key, value: raw };
    });
}

export function benefitsText(benefits: Array<{ key: string; value: BenefitValue }>): string {
  return benefits.map((b) => `${b.key} = ${String(b.value)}`).join('\n');
}

/**
 * A metered limit or credit grant whose line is unchanged (same key, same number) is sent back as
 * the plan shows it, so that editing a plan's name never turns it into a plain number.
 */
export function keepUsageFields<B extends { key: string; value: BenefitValue }>(
  parsed: Array<{ key: string; value: BenefitValue }>,
  shown: B[],
): Array<{ key: string; value: BenefitValue } | B> {
  return parsed.map((b) => shown.find((s) => s.key === b.key && s.value === b.value) ?? b);
}
