export * from './guard';
export * from './report';
