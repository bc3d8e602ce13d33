// uflpa: live progress of a screening job on its page. It asks the API for the job's state
// (GET /v1/screenings/{id}, with the page's session cookie) and updates the progress bar and
// the counts; when the job is done or failed it reloads the page, which then shows the results
// or the error. Without this script the page refreshes itself (<noscript> meta refresh).
(function () {
  "use strict";
  var box = document.querySelector("[data-job-poll]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-job-poll");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-job-text]");
  var stage = box.querySelector("[data-job-stage]");
  var delay = 700;

  function number(n) {
    return Number(n || 0).toLocaleString("en-US");
  }

  function show(job) {
    var done = job.done || 0;
    if (job.total) {
      bar.max = job.total;
      bar.value = Math.min(done, job.total);
      text.textContent = number(done) + " of about " + number(job.total) + " rows";
    } else {
      bar.removeAttribute("value");
      text.textContent = number(done) + " rows";
    }
    if (job.problem_count) {
      text.textContent += "; " + number(job.problem_count) + " row problem(s)";
    }
    stage.textContent = job.stage || job.state;
  }

  function tick() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (job) {
        show(job);
        if (job.state === "done" || job.state === "failed") {
          window.location.reload();
          return;
        }
        window.setTimeout(tick, delay);
      })
      .catch(function () {
        window.setTimeout(tick, 3000);
      });
  }

  window.setTimeout(tick, delay);
})();
