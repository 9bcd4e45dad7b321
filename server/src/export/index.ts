export { DEFAULT_PDF_EXPORT_LIMITS, PdfExporter } from './pdf-exporter';
export type { PdfExport, PdfExportLimits, PdfExportOptions } from './pdf-exporter';
export { exportRoutes } from './routes';
export { redlineRoutes } from './redline-routes';
export { exportFontFiles, FONT_FAMILIES } from './fonts';
export { DEFAULT_CONVERTER_LIMITS, DocumentConverter } from './converter';
export type { ConverterLimits, ImportedDraft, ProseMirrorJson } from './converter';
export { conversionExportRoutes, importRoutes } from './conversion-routes';
