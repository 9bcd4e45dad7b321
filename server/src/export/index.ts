export { DEFAULT_PDF_EXPORT_LIMITS, PdfExporter } from './pdf-exporter';
export type { PdfExport, PdfExportLimits, PdfExportOptions } from './pdf-exporter';
export { exportRoutes } from './routes';
export { exportFontFiles, FONT_FAMILIES } from './fonts';
