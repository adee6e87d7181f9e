// Runs sandboxed before the page: exposes only createPreloadApi's members as window.tanba.
import { contextBridge, ipcRenderer } from 'electron';
import { TANBA_VERSION } from '../src/version.ts';
import { createPreloadApi } from './preload-api.ts';

contextBridge.exposeInMainWorld('tanba', createPreloadApi(ipcRenderer, process.env.TANBA_VERSION ?? TANBA_VERSION));
