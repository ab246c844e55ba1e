import type { App } from './http.js';

/**
 * A module as `app.ts` lists it. Each module's `index.ts` exports `create<M>Module(deps)`: `deps`
 * are the narrow (`Pick<>`-typed) pieces its services use, and the result holds the services other
 * modules may be handed, plus `registerRoutes`. `app.ts` creates the modules in dependency order
 * and registers every listed module's routes; nothing else wires a module by hand.
 */
export type AppModule = {
  /** The module's folder name. */
  name: string;
  registerRoutes(app: App): void;
};
