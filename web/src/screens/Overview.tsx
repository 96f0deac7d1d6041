export function Overview() {
  return <section class="screen"><h1>Overview</h1></section>;
}
