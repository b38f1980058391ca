/**
 * The file-system seam of a file drop: the few operations the move-after-write logic needs, so a
 * local directory and an SFTP server share that logic (file-drop.ts) and a test can inject a fault
 * between the raw write and the move. Paths are as the implementation joins them (`join`).
 */
export interface DropFs {
  /** Regular files directly in `dir`: no folders, no links. Rejects when the folder cannot be read. */
  list(dir: string): Promise<DropEntry[]>;
  /** The file's facts, or undefined when nothing is at `path`. */
  stat(path: string): Promise<DropEntry | undefined>;
  read(path: string): Promise<Buffer>;
  /** Creates or truncates `path` with `body`. */
  write(path: string, body: Buffer): Promise<void>;
  /** Moves a file within the same file system; never replaces an existing `to` (rejects instead). */
  rename(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  /** Creates the folder and its parents when missing. */
  ensureDir(dir: string): Promise<void>;
  join(...parts: string[]): string;
  /** Releases the connection, if there is one. Idempotent. */
  close(): Promise<void>;
}

export interface DropEntry {
  readonly name: string;
  readonly size: number;
  /** Milliseconds since the epoch; SFTP gives whole seconds. */
  readonly modifiedMs: number;
}
