// Packages without bundled type declarations.
declare module 'dcmjs';
