/**
 * Reads a ZIP's central directory (PKWARE APPNOTE §4.3.12, §4.3.16) without unpacking anything, so
 * an .xlsx that would unpack to gigabytes is refused before exceljs inflates it into memory.
 * ZIP64 archives are reported as too large: an order sheet never needs 4 GiB entries.
 */

export type ZipDirectory =
  | { readonly ok: true; readonly entries: number; readonly uncompressedBytes: number }
  | { readonly ok: false; readonly reason: 'not_a_zip' | 'zip64' };

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const END_RECORD_SIZE = 22;
const ENTRY_FIXED_SIZE = 46;
/** The end record may be followed by a comment of up to 65,535 bytes. */
const MAX_COMMENT = 0xffff;
const ZIP64_MARKER = 0xffffffff;

export function readZipDirectory(zip: Buffer): ZipDirectory {
  const end = findEndRecord(zip);
  if (end === undefined) return { ok: false, reason: 'not_a_zip' };
  const entries = zip.readUInt16LE(end + 10);
  const directoryOffset = zip.readUInt32LE(end + 16);
  if (entries === 0xffff || directoryOffset === ZIP64_MARKER) return { ok: false, reason: 'zip64' };
  let uncompressedBytes = 0;
  let at = directoryOffset;
  for (let i = 0; i < entries; i++) {
    if (at + ENTRY_FIXED_SIZE > zip.length || zip.readUInt32LE(at) !== DIRECTORY_ENTRY) return { ok: false, reason: 'not_a_zip' };
    const size = zip.readUInt32LE(at + 24);
    if (size === ZIP64_MARKER) return { ok: false, reason: 'zip64' };
    uncompressedBytes += size;
    at += ENTRY_FIXED_SIZE + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return { ok: true, entries, uncompressedBytes };
}

function findEndRecord(zip: Buffer): number | undefined {
  const earliest = Math.max(0, zip.length - END_RECORD_SIZE - MAX_COMMENT);
  for (let at = zip.length - END_RECORD_SIZE; at >= earliest; at--) {
    if (zip.readUInt32LE(at) === END_OF_DIRECTORY) return at;
  }
  return undefined;
}
