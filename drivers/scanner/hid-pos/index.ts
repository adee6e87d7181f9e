/** HID POS scanners (usage page 0x8C) through node-hid, with vendor profiles. */
export {
  HID_POS_PROFILES, HidPosAssembler, checkProfile, decodeReport, encodeReports, hasReportIdPrefix, profileForVendor,
  type HidPosError, type HidPosFrame, type HidPosProfile, type HidPosSegment,
} from './reports.ts';
export {
  HID_POS_USAGE_PAGE, HidPosScanner, findHidDevice, loadNodeHid,
  type HidMatch, type HidModule, type HidPosScannerEvents, type HidPosScannerOptions, type HidScanFrame,
} from './hid-scanner.ts';
