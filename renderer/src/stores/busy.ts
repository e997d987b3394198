/** Runs an action that changes documents: busy while it runs, the list reloaded after, whatever happened. */
export async function whileBusy<T>(
  store: { setState(patch: { busy: boolean }): void; getState(): { load(): Promise<void> } },
  action: () => Promise<T>,
): Promise<T> {
  store.setState({ busy: true });
  try {
    return await action();
  } finally {
    store.setState({ busy: false });
    await store.getState().load();
  }
}
