/**
 * Renders the example receipts in docs/receipts/ through the real path:
 * encoder -> TCP -> virtual printer -> PNG. Run: node --import tsx scripts/render-receipts.ts
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualPrinter } from '../emulators/printer/index.ts';
import { ReceiptPrinter, TcpTransport, getProfile, offlineReceipt, returnReceipt, saleReceipt, type ReceiptDocumentInput } from '../drivers/printer/index.ts';

const outDir = new URL('../docs/receipts/', import.meta.url).pathname;
const docs: [string, ReceiptDocumentInput][] = [['sale', saleReceipt()], ['return', returnReceipt()], ['offline', offlineReceipt()]];

for (const profileId of ['generic-58', 'epson-80']) {
  const profile = getProfile(profileId);
  const tmp = mkdtempSync(join(tmpdir(), 'tanba-render-'));
  const vp = new VirtualPrinter({ outDir: tmp, width: profile.paperWidth });
  const port = await vp.listenTcp(0);
  const printer = new ReceiptPrinter(await TcpTransport.connect({ host: '127.0.0.1', port }), profile);
  try {
    for (const [name, doc] of docs) {
      await printer.printReceipt(doc);
      const r = vp.receipts.at(-1)!;
      const target = join(outDir, `${name}-${profile.paperWidth}mm.png`);
      copyFileSync(r.pngPath, target);
      copyFileSync(r.textPath, target.replace(/\.png$/, '.txt'));
      console.log(`${target} (${profile.id})`);
    }
  } finally {
    await printer.close();
    await vp.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
