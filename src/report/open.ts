/** Opens a file in the desktop's default application (the browser, for report/index.html). */
import { spawn } from 'node:child_process';

/** Starts the opener detached; resolves false when there is none (a server, a container). */
export function openInBrowser(file: string): Promise<boolean> {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [file]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', file]] : ['xdg-open', [file]];
  return new Promise((resolve) => {
    const child = spawn(cmd, args as string[], { detached: true, stdio: 'ignore' });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}
