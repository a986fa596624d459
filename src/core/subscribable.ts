/**
 * The one listener set of core (TanStack Query's `Subscribable`): `subscribe` returns its unsubscribe,
 * `onSubscribe`/`onUnsubscribe` let a subclass start work for its first listener and stop it after the
 * last. A listener subscribed twice is two subscriptions.
 */
export class Subscribable<TListener extends (...args: never[]) => void = () => void> {
  protected readonly listeners = new Set<{ listener: TListener }>();

  subscribe = (listener: TListener): (() => void) => {
    const subscription = { listener };
    this.listeners.add(subscription);
    this.onSubscribe();
    return () => {
      if (this.listeners.delete(subscription)) this.onUnsubscribe();
    };
  };

  hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  /** Calls every listener subscribed when the call starts; one that unsubscribes meanwhile still runs once. */
  protected notifyListeners(...args: Parameters<TListener>): void {
    for (const { listener } of [...this.listeners]) listener(...args);
  }

  /** Drops every listener (teardown). */
  protected clearListeners(): void {
    this.listeners.clear();
  }

  protected onSubscribe(): void {}

  protected onUnsubscribe(): void {}
}

type Setup = (set: (value: boolean) => void) => (() => void) | undefined;

/**
 * A yes/no fact of the environment (online, page visible) as a subscribable: `setup` attaches the real
 * event source when the first listener subscribes and its cleanup runs after the last one leaves.
 */
export class BooleanSource extends Subscribable<(value: boolean) => void> {
  #value: boolean;
  readonly #setup: Setup | undefined;
  #teardown: (() => void) | undefined;

  constructor(setup: Setup | undefined, initial: boolean) {
    super();
    this.#setup = setup;
    this.#value = initial;
  }

  protected get value(): boolean {
    return this.#value;
  }

  protected set value(value: boolean) {
    if (value === this.#value) return;
    this.#value = value;
    this.notifyListeners(value);
  }

  protected override onSubscribe(): void {
    if (this.listeners.size === 1 && this.#setup) this.#teardown = this.#setup((value) => (this.value = value)) ?? undefined;
  }

  protected override onUnsubscribe(): void {
    if (this.hasListeners()) return;
    this.#teardown?.();
    this.#teardown = undefined;
  }
}
