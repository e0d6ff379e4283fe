/*
 * The meeting page's recording player (templates/transcription/public/).
 *
 * Without JavaScript each timestamp is an ordinary link to the published audio at that time
 * (a media fragment, "#t=307.0"), and the captions come from the <track>. With it:
 * - selecting a timestamp plays the page's player from there, keeping focus on the timestamp so
 *   that keyboard and screen reader users keep their place in the transcript, and says so in a
 *   polite live region;
 * - the segment being played is marked with aria-current="time" (and highlighted).
 * Opening a timestamp in a new tab or window (modifier keys, middle button) is left alone.
 */
(function () {
  "use strict";

  function linesOf(player) {
    var selector = '[data-transcript-line][data-player="' + player.id + '"]';
    var lines = Array.prototype.slice.call(document.querySelectorAll(selector));
    return lines
      .map(function (element) {
        return {
          element: element,
          start: parseFloat(element.getAttribute("data-start")),
          end: parseFloat(element.getAttribute("data-end")),
        };
      })
      .filter(function (line) {
        return !isNaN(line.start) && !isNaN(line.end);
      })
      .sort(function (a, b) {
        return a.start - b.start;
      });
  }

  /* The last line starting at or before `time`, if `time` is before its end. */
  function lineAt(lines, time) {
    var low = 0;
    var high = lines.length - 1;
    var found = null;
    while (low <= high) {
      var middle = (low + high) >> 1;
      if (lines[middle].start <= time) {
        found = lines[middle];
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found && time < found.end ? found : null;
  }

  function seek(player, time) {
    try {
      player.currentTime = time;
    } catch (error) {
      // Some browsers refuse before the metadata is loaded: seek as soon as it is.
      player.addEventListener(
        "loadedmetadata",
        function () {
          player.currentTime = time;
        },
        { once: true }
      );
    }
  }

  function enhance(player) {
    var lines = linesOf(player);
    var status = document.getElementById(player.id + "-status");
    var current = null;

    function mark(line) {
      if (line === current) {
        return;
      }
      if (current) {
        current.element.removeAttribute("aria-current");
      }
      current = line;
      if (current) {
        current.element.setAttribute("aria-current", "time");
      }
    }

    lines.forEach(function (line) {
      var link = line.element.querySelector("a[data-seek]");
      if (!link) {
        return;
      }
      link.addEventListener("click", function (event) {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
          return;
        }
        event.preventDefault();
        seek(player, line.start);
        mark(line);
        var playing = player.play();
        if (playing && typeof playing.catch === "function") {
          playing.catch(function () {
            // Autoplay refused or no sound device: the player is still at the right time.
          });
        }
        if (status) {
          status.textContent = "Playing the recording from " + link.getAttribute("data-timestamp") + ".";
        }
        link.focus();
      });
    });

    player.addEventListener("timeupdate", function () {
      mark(lineAt(lines, player.currentTime));
    });
  }

  function init() {
    var players = document.querySelectorAll("audio[data-transcript-player]");
    Array.prototype.forEach.call(players, enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
