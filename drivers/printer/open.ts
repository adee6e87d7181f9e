/** Opens a transport from a spec, as given on a command line or in config. */
import { DeviceFileTransport, SerialTransport, TcpTransport, type PrinterTransport } from './transport.ts';

/** Where the printer is. */
export type TransportSpec =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'serial'; path: string; baudRate?: number }
  | { kind: 'device'; path: string };

/** Opens the transport a spec names. */
export function openTransport(spec: TransportSpec): Promise<PrinterTransport> {
  switch (spec.kind) {
    case 'tcp': return TcpTransport.connect({ host: spec.host, port: spec.port });
    case 'serial': return SerialTransport.open(spec.baudRate !== undefined ? { path: spec.path, baudRate: spec.baudRate } : { path: spec.path });
    case 'device': return DeviceFileTransport.open(spec.path);
  }
}
