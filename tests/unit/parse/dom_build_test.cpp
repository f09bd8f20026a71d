// Building the DOM from (often malformed) HTML, and the Node/Document API.

#include <gtest/gtest.h>

#include "parse/dom.hpp"

namespace fg::parse {
namespace {

std::string body_html(std::string_view html) {
  Document doc = Document::parse(html);
  return doc.body() ? inner_html(*doc.body()) : "<no body>";
}

TEST(DomBuild, ImpliedHtmlHeadBodyExist) {
  Document doc = Document::parse("hello");
  ASSERT_NE(doc.html(), nullptr);
  ASSERT_NE(doc.head(), nullptr);
  ASSERT_NE(doc.body(), nullptr);
  EXPECT_EQ(doc.root()->kind, NodeKind::document);
  EXPECT_EQ(doc.html()->parent, doc.root());
  EXPECT_EQ(doc.body()->text_content(), "hello");
}

TEST(DomBuild, EmptyInputStillHasBody) {
  Document doc = Document::parse("");
  ASSERT_NE(doc.body(), nullptr);
  EXPECT_TRUE(doc.body()->children.empty());
}

TEST(DomBuild, UnclosedTagsAreClosed) {
  EXPECT_EQ(body_html("<ul><li>a<li>b</ul><p>x<p>y"),
            "<ul><li>a</li><li>b</li></ul><p>x</p><p>y</p>");
}

TEST(DomBuild, StrayEndParagraphBecomesEmptyParagraph) {
  EXPECT_EQ(body_html("<div>a</p>b</div>"), "<div>a<p></p>b</div>");
}

TEST(DomBuild, TableGetsTbodyAndMisplacedTextIsFosterParented) {
  EXPECT_EQ(body_html("<table><tr><td>1</td></tr></table>"),
            "<table><tbody><tr><td>1</td></tr></tbody></table>");
  EXPECT_EQ(body_html("<table>x<tr><td>1</td></tr></table>"),
            "x<table><tbody><tr><td>1</td></tr></tbody></table>");
}

TEST(DomBuild, MisnestedFormattingIsRepaired) {
  EXPECT_EQ(body_html("<b><i>x</b>y</i>"), "<b><i>x</i></b><i>y</i>");
}

TEST(DomBuild, EntitiesAreDecoded) {
  Document doc = Document::parse("<p>&lt;a&gt; &amp; &quot; &#20013;&#x6587; &copy;&nbsp;!</p>");
  EXPECT_EQ(doc.body()->text_content(), "<a> & \" 中文 ©\u00a0!");
}

TEST(DomBuild, CjkTextIsIntact) {
  Document doc = Document::parse("<h1>中共中央印发《通知》</h1><p>疫情就是命令,防控就是责任。</p>");
  EXPECT_EQ(doc.body()->text_content(), "中共中央印发《通知》疫情就是命令,防控就是责任。");
}

TEST(DomBuild, AttributesAreLowerCasedDecodedAndOrdered) {
  Document doc = Document::parse(R"(<A HREF="/a?x=1&amp;y=2" Title='中文' data-X=1 hidden>t</A>)");
  Node* a = doc.body()->children.at(0);
  EXPECT_EQ(a->tag, "a");
  ASSERT_EQ(a->attributes.size(), 4u);
  EXPECT_EQ(a->attributes[0].name, "href");
  EXPECT_EQ(a->attributes[0].value, "/a?x=1&y=2");
  EXPECT_EQ(a->attributes[1].name, "title");
  EXPECT_EQ(a->attr("title"), "中文");
  EXPECT_EQ(a->attr("data-x"), "1");
  EXPECT_TRUE(a->has_attr("hidden"));
  EXPECT_EQ(a->attr("hidden"), "");
  EXPECT_FALSE(a->has_attr("missing"));
  EXPECT_EQ(a->attr("missing"), "");
}

TEST(DomBuild, UnknownTagsKeepTheirLowerCasedName) {
  Document doc = Document::parse("<MyWidget foo=1>x</MyWidget><o:p></o:p>");
  ASSERT_EQ(doc.body()->children.size(), 2u);
  EXPECT_EQ(doc.body()->children[0]->tag, "mywidget");
  EXPECT_EQ(doc.body()->children[0]->attr("foo"), "1");
  EXPECT_EQ(doc.body()->children[1]->tag, "o:p");
}

TEST(DomBuild, CommentsAreKept) {
  Document doc = Document::parse("<div><!-- note -->x</div>");
  Node* div = doc.body()->children.at(0);
  ASSERT_EQ(div->children.size(), 2u);
  EXPECT_EQ(div->children[0]->kind, NodeKind::comment);
  EXPECT_EQ(div->children[0]->text, " note ");
  EXPECT_EQ(div->text_content(), "x");
}

TEST(DomBuild, TemplateContentsAreChildrenButNotText) {
  Document doc = Document::parse("<div>a<template><p>t</p></template>b</div>");
  Node* div = doc.body()->children.at(0);
  ASSERT_EQ(div->children.size(), 3u);
  Node* tpl = div->children[1];
  EXPECT_EQ(tpl->tag, "template");
  ASSERT_EQ(tpl->children.size(), 1u);
  EXPECT_EQ(tpl->children[0]->tag, "p");
  EXPECT_EQ(div->text_content(), "ab");
}

TEST(DomBuild, TextContentSkipsScriptStyleNoscript) {
  Document doc = Document::parse(
      "<div>a<script>var x=1;</script>b<style>p{}</style>c<noscript>enable js</noscript>d</div>");
  EXPECT_EQ(doc.body()->text_content(), "abcd");
}

TEST(DomBuild, ParentPointersAreConsistent) {
  Document doc = Document::parse("<div><p><b>x</b></p></div>");
  Node* div = doc.body()->children.at(0);
  Node* p = div->children.at(0);
  Node* b = p->children.at(0);
  EXPECT_EQ(div->parent, doc.body());
  EXPECT_EQ(p->parent, div);
  EXPECT_EQ(b->parent, p);
  EXPECT_EQ(b->children.at(0)->parent, b);
}

TEST(DomBuild, FragmentParsesIntoDetachedDiv) {
  Document doc;
  Node* div = doc.parse_fragment("<p>a<td>cell</td><li>b");
  EXPECT_EQ(div->tag, "div");
  EXPECT_EQ(div->parent, nullptr);
  // A <td> outside a table is dropped (its text kept), as in a browser's innerHTML.
  EXPECT_EQ(inner_html(*div), "<p>acell</p><li>b</li>");
  for (Node* c : div->children) EXPECT_EQ(c->parent, div);
}

TEST(DomBuild, FragmentDoesNotCreateHtmlOrBody) {
  Document doc;
  Node* div = doc.parse_fragment("<html><body><span>x</span></body></html>");
  EXPECT_EQ(inner_html(*div), "<span>x</span>");
}

TEST(DomBuild, MovedDocumentKeepsNodes) {
  Document a = Document::parse("<p id=x>hi</p>");
  Node* p = a.body()->children.at(0);
  Document b = std::move(a);
  EXPECT_EQ(b.body()->children.at(0), p);
  EXPECT_EQ(p->attr("id"), "x");
  EXPECT_EQ(a.html(), nullptr);  // NOLINT(bugprone-use-after-move): moved-from is empty
}

}  // namespace
}  // namespace fg::parse
