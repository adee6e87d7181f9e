/**
 * Every `tanba` subcommand: its name, help and flags, and how to load its module. Nothing here
 * imports a command module statically, so `tanba --help`, a usage error or `tanba parse` load
 * only what they use (test/built-cli.test.ts checks it). To add a command: write its module
 * (exporting a `Command`, i.e. `{ run }`) and add one entry here.
 */
import { EMULATOR_COMMANDS } from './registry-emulators.ts';
import { JSON_FLAG, type CommandEntry } from './types.ts';

/** In the order `tanba --help` lists them: the register, then the codes, then delivery, then devices and emulators. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'serve',
    summary: 'Run the register core headless: local API and web UI (training mode until a registry is configured)',
    usage: '[--host ADDR] [--port N] [--lm-port N [--lm-host ADDR]]',
    flags: {
      host: { type: 'string', help: 'address to listen on (default 127.0.0.1; env TANBA_HOST)' },
      port: { type: 'string', help: 'TCP port (default 8420, 0 = any free port; env TANBA_PORT)' },
      'lm-port': { type: 'string', help: 'also serve the local-module API (ЛМ ЧЗ) to other tills on this port, e.g. 5995 (off by default; login from localModule.user / .password)' },
      'lm-host': { type: 'string', help: 'address of the local-module API (default 127.0.0.1)' },
    },
    load: async () => (await import('./serve.ts')).serveCommand,
  },
  // Codes and the cache.
  {
    name: 'parse',
    summary: 'Parse and validate marking codes (arguments, or one per line on stdin)',
    usage: '[--json] [--lang ru|kk|en] [CODE ...]',
    flags: {
      json: { type: 'boolean', help: 'print one JSON object per input line, in input order' },
      lang: { type: 'string', help: 'language of the messages: ru, kk or en (default: the first configured language)' },
    },
    load: async () => (await import('./parse.ts')).parseCommand,
  },
  {
    name: 'check',
    summary: 'Decide marking codes from the local cache (as the checkout would offline)',
    usage: '[--online] [--json] [--return] [--price N] [CODE ...]   (no CODE: one code per stdin line)',
    flags: {
      json: { type: 'boolean', help: 'one JSON object per input: the parse result plus "verdict" and "product" (and "online" with --online)' },
      online: { type: 'boolean', help: 'ask the configured marking systems first (registry.marking, within the 1.5 s budget), as the till does' },
      return: { type: 'boolean', help: 'decide a return instead of a sale' },
      price: { type: 'string', help: '--price N  unit price in minor units (default: the product\'s price from the feed)' },
    },
    load: async () => (await import('./check.ts')).checkCommand,
  },
  {
    name: 'catalog lookup',
    summary: 'look products up in the National Catalogue (NTIN) through the OFD, or the local table when fresh or the OFD is unreachable',
    usage: '[--json] BARCODE...',
    flags: { json: { type: 'boolean', help: 'one JSON object per barcode per line (the default output too)' } },
    load: async () => (await import('./catalog.ts')).catalogLookupCommand,
  },
  {
    name: 'catalog import',
    summary: 'load a catalogue file (NDJSON, one `catalog lookup` object a line, optional "vat") into the local table, or a CSV price list (barcode;name;price;unit...) into the store\'s own products',
    usage: 'FILE',
    flags: {},
    load: async () => (await import('./catalog.ts')).catalogImportCommand,
  },
  {
    name: 'catalog choose',
    summary: "remember which of a barcode's NTINs this store sells it under (the cashier's pick)",
    usage: 'BARCODE NTIN',
    flags: {},
    load: async () => (await import('./catalog.ts')).catalogChooseCommand,
  },
  {
    name: 'cache import',
    summary: 'Import a status feed (NDJSON) into the local code cache: a full snapshot or a delta',
    usage: 'FILE|- [--full] [--batch-size N]',
    flags: {
      full: { type: 'boolean', help: 'the feed is a full snapshot: it replaces the cache when complete (default: a delta)' },
      'batch-size': { type: 'string', help: `--batch-size N  records per transaction (default 5000)` },
    },
    load: async () => (await import('./cache.ts')).cacheImportCommand,
  },
  {
    name: 'cache stats',
    summary: 'Show the local code cache: counts per table, freshness, last sync, cursor, file size',
    usage: '[--json]',
    flags: { json: JSON_FLAG },
    load: async () => (await import('./cache.ts')).cacheStatsCommand,
  },
  // Sales, shifts and records.
  {
    name: 'sell',
    summary: 'complete a sale of the given codes (the same path as the cashier UI)',
    usage: '[--json] [--pay cash|card] [--price MINOR] [--cashier NAME] CODE...',
    flags: {
      json: JSON_FLAG,
      pay: { type: 'string', help: '--pay cash|card  payment type (default cash, paid exactly)' },
      price: { type: 'string', help: '--price MINOR  unit price in minor units for codes whose product has no price in the cache' },
      cashier: { type: 'string', help: '--cashier NAME  cashier for an automatically opened shift (default cli)' },
    },
    load: async () => (await import('./sell.ts')).sellCommand,
  },
  {
    name: 'return',
    summary: 'return lines of a completed sale (by code or line id); a ticket is never cancelled',
    usage: '[--json] [--cashier NAME] SALE_ID CODE...',
    flags: {
      json: JSON_FLAG,
      cashier: { type: 'string', help: '--cashier NAME  cashier for an automatically opened shift (default cli)' },
    },
    load: async () => (await import('./sell.ts')).returnCommand,
  },
  {
    name: 'shift',
    summary: 'open or close the shift, or print an X report: tanba shift open|close|x',
    usage: '[--json] [--cashier NAME] open|close|x',
    flags: {
      json: JSON_FLAG,
      cashier: { type: 'string', help: '--cashier NAME  who opens the shift (default cli)' },
    },
    load: async () => (await import('./shift.ts')).shiftCommand,
  },
  {
    name: 'journal verify',
    summary: 'check the journal\'s hash chain; names the first broken link',
    usage: '[--json]',
    flags: { json: JSON_FLAG },
    load: async () => (await import('./journal.ts')).journalVerifyCommand,
  },
  {
    name: 'privacy purge',
    summary: 'purge expired or withdrawn customer contacts (bytes removed from the database and WAL)',
    usage: '[--json]',
    flags: { json: JSON_FLAG },
    load: async () => (await import('./privacy.ts')).privacyPurgeCommand,
  },
  {
    name: 'user unlock',
    summary: 'unlock a user locked out by wrong PINs (audited): tanba user unlock NAME',
    usage: '[--json] NAME',
    flags: { json: JSON_FLAG },
    load: async () => (await import('./user.ts')).userUnlockCommand,
  },
  // Delivery to the fiscal data operator.
  {
    name: 'sync status',
    summary: 'delivery to the fiscal data operator: queue, oldest record, mode, time left before the offline limit',
    usage: '[--json]',
    flags: { json: JSON_FLAG },
    load: async () => (await import('./sync.ts')).syncStatusCommand,
  },
  {
    name: 'sync now',
    summary: 'deliver everything pending now (training mode: to the built-in OFD emulator), then print the status',
    usage: '[--json]',
    flags: { json: { type: 'boolean', help: 'print one JSON object {pass, status}' } },
    load: async () => (await import('./sync.ts')).syncNowCommand,
  },
  {
    name: 'sync retry',
    summary: 'un-block one blocked outbox row after its cause was fixed (journaled); it goes out on the next delivery',
    usage: '[--json] ID',
    flags: { json: JSON_FLAG },
    load: async () => (await import('./sync.ts')).syncRetryCommand,
  },
  // The marking systems.
  {
    name: 'registry test',
    summary: 'Try each configured marking system: login, reachability, latency (True API: the ranked hosts)',
    usage: '[--json] [--timeout MS]',
    flags: {
      json: { type: 'boolean', help: 'print {"ok", "providers":[...]} as JSON' },
      timeout: { type: 'string', help: '--timeout MS  time each provider may take (default 5000)' },
    },
    load: async () => (await import('./registry-test.ts')).registryTestCommand,
  },
  // Lanes of a store and head office (NATS; docs/hub.md).
  {
    name: 'hub run',
    summary: "run and supervise the store's NATS leaf node (or, with --hub, head office's hub)",
    usage: '[--store ID] [--hub] [--port N] [--leaf-port N] [--hub-url URL]... [--stores S1,S2] [--name N --cluster-port P [--route URL]...] [--replicas R] [--dir DIR] [--print-config]',
    flags: {
      store: { type: 'string', help: '--store ID  the store (default: store.id of the configuration)' },
      hub: { type: 'boolean', help: "run head office's hub instead (JetStream domain hub, leaf node listener)" },
      port: { type: 'string', help: '--port N  client port (default 4222)' },
      'leaf-port': { type: 'string', help: '--leaf-port N  hub only: where store leaf nodes connect (default 7422)' },
      'hub-url': { type: 'string', multiple: true, help: "--hub-url URL  store only: the hub's leaf node URL, e.g. nats-leaf://hq.example:7422 (repeatable)" },
      dir: { type: 'string', help: '--dir DIR  config and JetStream files (default <data-dir>/nats)' },
      stores: { type: 'string', help: '--stores S1,S2  hub only: the stores whose streams the hub sources (more can be added by running again)' },
      name: { type: 'string', help: '--name N  hub cluster only: this node\'s server name, unique in the cluster' },
      'cluster-port': { type: 'string', help: '--cluster-port P  hub cluster only: where the other hub nodes route to this one (e.g. 6222)' },
      route: { type: 'string', multiple: true, help: "--route URL  hub cluster only: another hub node's cluster URL, e.g. nats://hq2.example:6222 (repeatable)" },
      replicas: { type: 'string', help: "--replicas R  hub only: replicas of the hub's streams created with --stores (default 1; 3 with --cluster-port)" },
      'print-config': { type: 'boolean', help: 'print the generated nats-server configuration and exit' },
    },
    load: async () => (await import('./hub.ts')).hubRunCommand,
  },
  {
    name: 'hub status', summary: "this lane's link to its store: connected, unguarded sales, conflicts, head-office queue",
    usage: '[--json]',
    flags: { json: JSON_FLAG },
    load: async () => (await import('./hub.ts')).hubStatusCommand,
  },
  {
    name: 'hub reconcile', summary: "publish this lane's unguarded sales and queued documents to the store now; report conflicts",
    usage: '[--json]',
    flags: { json: JSON_FLAG },
    load: async () => (await import('./hub.ts')).hubReconcileCommand,
  },
  {
    name: 'hub conflicts', summary: 'codes sold on two lanes of the store (both sales), for the manager',
    usage: '[--json]',
    flags: { json: JSON_FLAG },
    load: async () => (await import('./hub.ts')).hubConflictsCommand,
  },
  {
    name: 'hub publish-status',
    summary: "publish a status delta (feed NDJSON) once to the store's stream; every lane applies it",
    usage: '[--id ID] FILE|-',
    flags: { id: { type: 'string', help: "--id ID  message id (a second publish of the same id is ignored), e.g. the delta's cursors" } },
    load: async () => (await import('./hub.ts')).hubPublishStatusCommand,
  },
  {
    name: 'hq status',
    summary: 'every store and register as head office sees them (queue, last contact, hours left, refusals, unguarded, conflicts)',
    usage: '[--json] --servers URL',
    flags: {
      json: JSON_FLAG,
      servers: { type: 'string', multiple: true, help: "--servers URL  the head-office hub's client URL (comma-separated or repeated; env TANBA_HQ_SERVERS)" },
    },
    load: async () => (await import('./hq.ts')).hqStatusCommand,
  },
  {
    name: 'hq publish',
    summary: 'publish a configuration or catalogue update to a store group; every lane applies it once, journaled',
    usage: '--servers URL [--group G] FILE|-',
    flags: {
      servers: { type: 'string', multiple: true, help: "--servers URL  the head-office hub's client URL (env TANBA_HQ_SERVERS)" },
      group: { type: 'string', help: '--group G  the store group (default all; a store follows store.nats.group)' },
    },
    load: async () => (await import('./hq.ts')).hqPublishCommand,
  },
  {
    name: 'hq serve',
    summary: "head office's web view of every store and register (filters, drill-down, CSV)",
    usage: '--servers URL [--host ADDR] [--port N]',
    flags: {
      servers: { type: 'string', multiple: true, help: "--servers URL  the head-office hub's client URL (env TANBA_HQ_SERVERS)" },
      host: { type: 'string', help: '--host ADDR  address to listen on (default 127.0.0.1)' },
      port: { type: 'string', help: '--port N  TCP port (default 8430, 0 = any free port)' },
    },
    load: async () => (await import('./hq.ts')).hqServeCommand,
  },
  // Devices.
  {
    name: 'scanner listen',
    summary: 'print every frame a scanner sends: hex, text with GS visible, symbology, parse result',
    usage: '(--port PATH | --hid VID:PID [--profile NAME] [--hid-replay FILE]) [--baud N] [--json] [--lang ru|kk|en] [--count N] [--timeout MS] [--terminator cr|lf|crlf|none] [--max-length N] [--idle-ms N]',
    flags: {
      port: { type: 'string', help: 'serial port to open, e.g. /dev/ttyACM0 or COM3' },
      hid: { type: 'string', help: 'HID POS scanner by USB id in hex, e.g. 0c2e:0b61' },
      baud: { type: 'string', help: 'baud rate of the serial port (default 9600; USB CDC ignores it)' },
      profile: { type: 'string', help: 'HID POS report layout: generic, honeywell, zebra, datalogic (default: by vendor id)' },
      'hid-replay': { type: 'string', help: 'replay recorded HID POS reports from a JSON file ({"sequences":[{"vendorId","productId","reports":["hex",...]}]}) through the driver instead of a USB device; exits when done' },
      json: { type: 'boolean', help: 'one JSON object per frame: {"data","hex","symbology","parsed"} or {"error":{"code","message"}}; hex is the frame as received (AIM prefix included), parsed is what `tanba parse --json` prints for data; symbology is named from the one AIM table the parser also uses' },
      lang: { type: 'string', help: 'language of parse messages: ru, kk or en (default: the first configured language)' },
      count: { type: 'string', help: 'exit after N frames (and errors)' },
      timeout: { type: 'string', help: 'exit after MS milliseconds (exit 1 if --count was not reached)' },
      terminator: { type: 'string', help: 'what ends a frame: cr (default), lf, crlf, none (pause only)' },
      'max-length': { type: 'string', help: 'longest frame in bytes (default 4096); longer ones are cut with an error' },
      'idle-ms': { type: 'string', help: 'a pause this long ends a frame (default 50; 0 = only the terminator)' },
    },
    load: async () => (await import('./scanner.ts')).scannerListenCommand,
  },
  {
    name: 'decode',
    summary: 'read marking codes from PNG images (GS1 DataMatrix, DataMatrix, QR, EAN); FNC1 comes out as GS',
    usage: '[--json] [--formats datamatrix,qr,ean-13,ean-8] IMAGE...',
    flags: {
      json: { type: 'boolean', help: 'one JSON object per image: {"file","data","hex","symbology","parsed"} or {"file","error":{"code","message"}}' },
      formats: { type: 'string', help: 'comma-separated formats to look for (default all)' },
    },
    load: async () => (await import('./decode.ts')).decodeCommand,
  },
  {
    name: 'print test',
    summary: 'print a test receipt (QR, DataMatrix with GS, Kazakh letters) and report the printer status',
    usage: '[--tcp HOST:PORT | --port PATH | --device FILE] [--width 58|80] [--lang kk,ru] [--profile ID] [--baud N]',
    flags: {
      tcp: { type: 'string', help: 'network printer, e.g. 192.168.1.50:9100' },
      port: { type: 'string', help: 'serial port of the printer, e.g. /dev/ttyUSB0 or COM3' },
      device: { type: 'string', help: 'printer device file, e.g. /dev/usb/lp0' },
      width: { type: 'string', help: 'paper width in mm: 58 or 80 (default 80)' },
      lang: { type: 'string', help: 'label languages, comma separated (default kk,ru)' },
      profile: { type: 'string', help: 'printer profile: generic-58, generic-80, epson-58, epson-80' },
      baud: { type: 'string', help: 'serial speed for --port (default 9600)' },
    },
    load: async () => (await import('./print.ts')).printTestCommand,
  },
  // Emulators.
  ...EMULATOR_COMMANDS,
  {
    name: 'config show',
    summary: 'Print the effective configuration and where it comes from',
    usage: '[--json]',
    flags: { json: { type: 'boolean', help: 'print JSON' } },
    load: async () => (await import('./config.ts')).configShowCommand,
  },
];
