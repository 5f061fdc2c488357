package com.example.push;

/** What {@code POST /uplink/app/comments} takes: who gets notified, who wrote, what. */
public record CommentPosted(String user, String author, String text) {}
