// The reports feature's pure core: sales, activity and network reports, CSV, PDF and SVG charts.
export * from './activity-report';
export * from './charts';
export * from './csv';
export * from './local-days';
export * from './network-report';
export * from './report-documents';
export * from './report-pdf';
export * from './report-query';
export * from './sales-report';
