/** Codes from images and video frames (@zxing/library). */
export { decodePixels, decodePng, readPng, type ImageCode, type ImageFormat, type Pixels } from './decode.ts';
