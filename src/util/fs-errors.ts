/** Node's file-system errors as one line that names the path and says what went wrong, in words. */
import { BrainsmithError } from '../errors.js';

const WORDS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'already exists',
  EISDIR: 'is a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EBUSY: 'busy (a mount point or in use)',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EXDEV: 'on another file system',
  ENOTEMPTY: 'the folder is not empty',
  EINVAL: 'invalid argument',
};

export function describeFsError(e: unknown, file: string, doing: string): BrainsmithError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const words = code ? WORDS[code] : undefined;
  const reason = words ?? (e instanceof Error ? e.message.replace(/\s*\n\s*/g, ' ') : String(e));
  const errCode = code === 'ENOENT' ? 'E_FILE_NOT_FOUND' : 'E_FILE_ACCESS';
  return new BrainsmithError(errCode, code === 'ENOENT' && /\bread\b/.test(doing) ? `${file}: file not found` : `${file}: ${doing}: ${reason}`, { file, cause: e });
}
