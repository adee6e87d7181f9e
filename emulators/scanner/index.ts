/** Scanner emulators: a serial scanner on a socat pty pair, and a fake node-hid HID POS device. */
export { PtyPair, tempLinkPath, waitForPath, type PtyPairOptions } from './pty-pair.ts';
export { SerialScannerEmulator, unescapeCode, type SerialScannerEmulatorOptions } from './serial-emulator.ts';
export { FakeHidBus, FakeHidDevice } from './fake-hid.ts';
