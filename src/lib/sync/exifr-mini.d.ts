/**
 * exifr's "mini" build (JPEG + TIFF/EXIF, no dictionaries, ~8 KB gzipped) has no typings of its own;
 * it exposes the same functions as the full build, of which we use `gps` only.
 */
declare module 'exifr/dist/mini.esm.mjs' {
	export { gps } from 'exifr';
}
