import { randomBytes, randomInt } from "node:crypto";

/** Crockford's base32 alphabet: no I, L, O or U, so references survive being read aloud or retyped. */
export const CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

const GROUPS = 3;
const GROUP_LENGTH = 4;
/** The longest text read as a reference or a PIN, however spaced; a longer message is neither. */
const MAX_TYPED_LENGTH = 64;

/** Creates a case reference such as K7QM-4TZP-9XWR: 60 random bits from a CSPRNG. */
export function generateReference(): string {
  const bytes = randomBytes(8);
  let bits = bytes.readBigUInt64BE(0) >> 4n;
  const chars: string[] = [];
  for (let i = 0; i < GROUPS * GROUP_LENGTH; i++) {
    chars.push(CROCKFORD_ALPHABET[Number(bits & 31n)] as string);
    bits >>= 5n;
  }
  return formatReference(chars.join(""));
}

/** Inserts the hyphens of the display form into 12 reference characters. */
function formatReference(compact: string): string {
  const groups: string[] = [];
  for (let i = 0; i < compact.length; i += GROUP_LENGTH) groups.push(compact.slice(i, i + GROUP_LENGTH));
  return groups.join("-");
}

/**
 * Reads a reference the way people type it (lower case, spaces instead of hyphens, O for 0,
 * I or L for 1) and returns its display form, or null when it cannot be a reference.
 */
export function parseReference(input: string): string | null {
  // Generous for spaces and hyphens; anything longer is not a reference and is not scanned.
  if (input.length > MAX_TYPED_LENGTH) return null;
  const compact = input
    .toUpperCase()
    .replace(/[\s\-_.]/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
  if (compact.length !== GROUPS * GROUP_LENGTH) return null;
  for (const ch of compact) if (!CROCKFORD_ALPHABET.includes(ch)) return null;
  return formatReference(compact);
}

/** Creates a six-digit PIN from a CSPRNG. */
export function generatePin(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, "0");
}

/** Reads a PIN as typed (spaces allowed), or null when it is not six digits. */
export function parsePin(input: string): string | null {
  if (input.length > MAX_TYPED_LENGTH) return null;
  const digits = input.replace(/[\s\-.]/g, "");
  return /^\d{6}$/.test(digits) ? digits : null;
}
