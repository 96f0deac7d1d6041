export function DisposeScreen() {
  return <section class="screen"><h1>Dispose</h1></section>;
}
