export * from './algorithms';
export * from './sign';
export * from './verify';
