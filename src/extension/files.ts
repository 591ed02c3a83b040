// Writing a file the user chose (an export): whole or not at all. A crash, a full disk or a cancelled write must not
// leave half a report where the user's previous file was, so the bytes go to a hidden sibling first and are renamed
// over the target only once they are all on disk (a rename within one folder is atomic on local file systems).
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';

export async function writeFileAtomic(uri: vscode.Uri, bytes: Uint8Array): Promise<void> {
  const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
  const tmp = vscode.Uri.joinPath(uri, '..', `.${name}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  try {
    await vscode.workspace.fs.writeFile(tmp, bytes);
    await vscode.workspace.fs.rename(tmp, uri, { overwrite: true });
  } catch (e) {
    await Promise.resolve(vscode.workspace.fs.delete(tmp)).catch(() => undefined);
    throw e;
  }
}
