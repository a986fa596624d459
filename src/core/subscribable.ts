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
