import type { CaseReport } from './caseReport.js';

/** Columns of report.csv (one row per case). */
export const REPORT_CSV_COLUMNS = [
  'case', 'lung_l', 'ggo_l', 'consolidation_l', 'vessels_l', 'VRall_pct', 'VRggo_pct', 'VRcs_pct',
  'lesion_count_listed', 'largest_lesion_ml', 'largest_lesion_x_mm', 'largest_lesion_y_mm', 'largest_lesion_z_mm',
  'model', 'model_sha256', 'input', 'input_sha256', 'slices', 'total_s', 'seconds_per_slice',
] as const;

function cell(v: string | number | undefined): string {
  if (v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV row of a case report. */
export function reportCsvRow(r: CaseReport): string {
  const big = r.lesions[0];
  return [
    r.case, r.volumes_l.lung, r.volumes_l.ggo, r.volumes_l.consolidation, r.volumes_l.vessels, r.ratios_pct.VRall, r.ratios_pct.VRggo, r.ratios_pct.VRcs,
    r.lesions.length, big?.volume_ml, big?.centroid_mm[0], big?.centroid_mm[1], big?.centroid_mm[2],
    r.model.name, r.model.sha256, r.input.path, r.input.sha256, r.input.shape[0], r.timings.total_s, r.timings.seconds_per_slice,
  ].map(cell).join(',');
}

/** report.csv text: header + one row per case. */
export function reportCsv(reports: readonly CaseReport[]): string {
  return [REPORT_CSV_COLUMNS.join(','), ...reports.map(reportCsvRow)].join('\n') + '\n';
}
