export function Prepared() {
  return <section class="screen"><h1>Prepared</h1></section>;
}
