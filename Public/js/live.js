// Live updates with Server-Sent Events: the notification count in the header, and new posts
// at the end of an open topic, or new messages at the end of an open conversation. Everything here is also on the page after a reload; this only
// saves the reload. The server pauses the stream during quiet hours and breaks.
(function () {
  "use strict";
  if (!window.EventSource || !document.querySelector) { return; }
  var list = document.querySelector("#posts[data-live], #messages[data-live]");
  var url = list ? list.getAttribute("data-live") : "/live";
  var count = document.getElementById("notification-count");
  var source = new EventSource(url);

  source.addEventListener("count", function (event) {
    if (!count) { return; }
    var n = parseInt(event.data, 10) || 0;
    var label = count.querySelector(".visually-hidden");
    count.firstChild.nodeValue = " " + n;
    if (label) { count.appendChild(label); }
    count.hidden = n === 0;
  });

  function append(event, prefix, className) {
    if (!list) { return; }
    var post;
    try { post = JSON.parse(event.data); } catch (e) { return; }
    if (document.getElementById(prefix + post.number)) { return; }
    var item = document.createElement("li");
    item.id = prefix + post.number;
    item.className = className;
    var article = document.createElement("article");
    var header = document.createElement("header");
    header.className = "post-header";
    var author = document.createElement("span");
    author.className = "post-author";
    author.textContent = post.author;
    if (post.badge) {
      // The team badge, as the server renders it beside a moderator's or administrator's name.
      var badge = document.createElement("span");
      badge.className = "team-badge";
      badge.textContent = post.badge;
      var hint = document.createElement("span");
      hint.className = "visually-hidden";
      hint.textContent = post.badgeHint || "";
      badge.appendChild(hint);
      author.appendChild(document.createTextNode(" "));
      author.appendChild(badge);
    }
    header.appendChild(author);
    header.appendChild(document.createTextNode(" · " + post.time));
    var body = document.createElement("div");
    body.className = "prose";
    // The HTML was made safe on the server when the post was written (MarkdownCooker).
    body.innerHTML = post.html;
    article.appendChild(header);
    article.appendChild(body);
    item.appendChild(article);
    list.appendChild(item);
    // Tell screen readers politely, once.
    var status = document.getElementById("live-status");
    if (!status) {
      status = document.createElement("p");
      status.id = "live-status";
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      list.parentNode.insertBefore(status, list.nextSibling);
    }
    status.textContent = document.documentElement.lang === "nl" ? "Nieuw bericht van " + post.author : "New post by " + post.author;
  }

  source.addEventListener("post", function (event) { append(event, "post-", "post post-live"); });
  source.addEventListener("message", function (event) { append(event, "message-", "post message post-live"); });
})();
