export function QueueScreen() {
  return <section class="screen"><h1>QueueScreen</h1></section>;
}
