/**
 * Advisory lock held while bootstrapping or seeding: any constant shared by every instance,
 * distinct from db/migrate.ts's migration lock. Instances starting together take turns.
 */
export const BOOTSTRAP_LOCK = 727_002;
