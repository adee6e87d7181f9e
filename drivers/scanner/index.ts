/**
 * Scanner drivers: serial / USB CDC (framing, AIM, reconnect), HID POS, the keyboard-wedge
 * decoder, and image decoding. Drivers import nothing of Tanba's outside drivers/.
 */
export { AIM_SYMBOLOGIES, hasAimPrefix, splitAim, symbologyOf } from './aim.ts';
export {
  FrameParser, TERMINATORS, TERMINATOR_BYTES, checkFrameOptions, frameText,
  type FrameError, type FrameEvent, type FrameParserOptions, type ScanFrame, type Terminator,
} from './serial/framer.ts';
export {
  SerialScanner, matchPort, systemSerialBinding,
  type ConnectionState, type PortMatch, type ReconnectOptions, type SerialScanFrame, type SerialScannerEvents,
  type SerialScannerHealth, type SerialScannerOptions, type StatusEvent,
} from './serial/serial-scanner.ts';
export { checkBackoff, ReconnectBackoff, type BackoffOptions } from './reconnect.ts';
export * from './hid-pos/index.ts';
// Image decoding (zxing + pngjs, heavy to load) is its own entry point: ./image/index.ts.
