/** The device manager: discovery, roles, persisted configuration, scan events, health. */
export { DeviceConfigError, deviceSchema, devicesFileSchema, devicesPath, loadDevices, saveDevices, type DeviceConfig, type DeviceConfigInput, type DevicesFile } from './config.ts';
export { KNOWN_VENDORS, discover, type Discovery, type FoundDevice } from './discovery.ts';
export { DeviceManager, type DeviceHealth, type DeviceManagerEvents, type DeviceManagerOptions, type ScanErrorEvent, type ScanEvent } from './manager.ts';
