/** The About panel's state: the engine's doctor report, fetched once when the panel opens. */
import type { SeamApi } from '../../../shared/contract';
import type { DoctorReport } from '../../../shared/doctor';

export class AboutState {
  report = $state.raw<DoctorReport | null>(null);
  error = $state<string | null>(null);
  loading = $state(false);
  readonly #api: SeamApi;

  constructor(api: SeamApi) {
    this.#api = api;
  }

  async load(): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    this.error = null;
    try {
      this.report = await this.#api.doctor({ probeModels: true });
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.loading = false;
    }
  }
}
