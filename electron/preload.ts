// Runs sandboxed before the page: exposes only createPreloadApi's members as window.tanba.
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadApi } from './preload-api.ts';

contextBridge.exposeInMainWorld('tanba', createPreloadApi(ipcRenderer, process.env.TANBA_VERSION ?? '0.1.0'));
