// The ballot page's live counter and budget bar. A progressive enhancement: the page works without it,
// and the server renders the same figures for the ballot as loaded; this only follows the checkboxes.
(() => {
  const form = document.getElementById('ballot-form');
  const count = document.getElementById('ballot-count');
  const total = document.getElementById('ballot-total');
  const meter = document.getElementById('ballot-meter');
  if (!form || !count || !total || !meter) return;
  const budget = Number(form.dataset.budget);
  const over = document.getElementById('ballot-over');
  // The server's grouping (1,234,567) inside the page language's amount, where '#' stands for the number.
  const digits = new Intl.NumberFormat('en-US');
  const update = () => {
    const chosen = [...form.querySelectorAll('input[name="project"]:checked')];
    const sum = chosen.reduce((acc, input) => acc + Number(input.dataset.cost), 0);
    count.value = String(chosen.length);
    total.value = total.dataset.template.replace('#', digits.format(sum));
    meter.value = Math.min(sum, budget);
    if (over) over.hidden = sum <= budget;
  };
  form.addEventListener('change', update);
})();
