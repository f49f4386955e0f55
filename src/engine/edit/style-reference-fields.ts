/**
 * The controls both region-style processors share (the analytic one and SEAN's): a style photo,
 * an optional second one with a mix slider between them, and a weight per region. Kept in one
 * place so the two stay interchangeable in the UI and in saved projects.
 */
import { LABELS } from '../../shared/labels';
import type { OptionField } from '../../shared/processor-options';

export function styleReferenceFields(regionsHelp: string): OptionField[] {
  return [
    { kind: 'photo', key: 'reference', label: 'Style photo', required: true },
    { kind: 'photo', key: 'reference2', label: 'Second style photo', required: false, help: 'Optional: the mix slider moves between the two photos.' },
    { kind: 'number', key: 'mix', label: 'Mix', min: 0, max: 1, step: 0.01, default: 0.5, help: '0: the first style photo, 1: the second.' },
    { kind: 'label-weights', key: 'regions', label: 'Regions', group: 'Regions', labels: LABELS.map((l) => l.name), default: 0, help: regionsHelp },
  ];
}
