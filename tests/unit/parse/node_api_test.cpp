// Node and Document mutation helpers.

#include <gtest/gtest.h>

#include "parse/dom.hpp"

namespace fg::parse {
namespace {

TEST(NodeApi, SetAndRemoveAttributes) {
  Document doc;
  Node* a = doc.create_element("A");
  EXPECT_EQ(a->tag, "a");
  a->set_attr("href", "/x");
  a->set_attr("title", "t");
  a->set_attr("href", "/y");
  ASSERT_EQ(a->attributes.size(), 2u);
  EXPECT_EQ(a->attr("href"), "/y");
  a->remove_attr("href");
  EXPECT_FALSE(a->has_attr("href"));
  EXPECT_EQ(a->attributes.size(), 1u);
  a->remove_attr("absent");
  EXPECT_EQ(a->attributes.size(), 1u);
}

TEST(NodeApi, HasClassSplitsOnWhitespace) {
  Document doc = Document::parse("<div class=' list\trelated\nnews '></div>");
  const Node* div = doc.body()->children.at(0);
  EXPECT_TRUE(div->has_class("list"));
  EXPECT_TRUE(div->has_class("related"));
  EXPECT_TRUE(div->has_class("news"));
  EXPECT_FALSE(div->has_class("lis"));
  EXPECT_FALSE(div->has_class("list related"));
  EXPECT_FALSE(div->has_class(""));
}

TEST(NodeApi, ElementChildrenAndIndexSkipText) {
  Document doc = Document::parse("<ul> <li>a</li> <!--c--> <li>b</li> </ul>");
  Node* ul = doc.body()->children.at(0);
  const auto items = ul->element_children();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]->element_index(), 0);
  EXPECT_EQ(items[1]->element_index(), 1);
  EXPECT_EQ(items[1]->text_content(), "b");
  Document empty;
  EXPECT_EQ(empty.create_element("p")->element_index(), -1);
}

TEST(NodeApi, DetachRemovesFromParentButKeepsSubtree) {
  Document doc = Document::parse("<div><p>a</p><p>b<b>c</b></p></div>");
  Node* div = doc.body()->children.at(0);
  Node* second = div->children.at(1);
  second->detach();
  EXPECT_EQ(second->parent, nullptr);
  EXPECT_EQ(inner_html(*div), "<p>a</p>");
  EXPECT_EQ(outer_html(*second), "<p>b<b>c</b></p>");
  second->detach();  // detaching twice is harmless
  EXPECT_EQ(second->parent, nullptr);
}

TEST(NodeApi, AppendAndInsertMoveNodes) {
  Document doc = Document::parse("<div id=a><span>1</span><span>3</span></div><div id=b></div>");
  Node* a = doc.body()->children.at(0);
  Node* b = doc.body()->children.at(1);
  Node* two = doc.create_element("em");
  Document::append_child(two, doc.create_text("2"));
  Document::insert_before(a, two, a->children.at(1));
  EXPECT_EQ(inner_html(*a), "<span>1</span><em>2</em><span>3</span>");
  Document::append_child(b, a->children.at(0));
  EXPECT_EQ(inner_html(*a), "<em>2</em><span>3</span>");
  EXPECT_EQ(inner_html(*b), "<span>1</span>");
  EXPECT_EQ(b->children.at(0)->parent, b);
}

TEST(NodeApi, AppendingAnAncestorIsRefused) {
  Document doc = Document::parse("<div><p>x</p></div>");
  Node* div = doc.body()->children.at(0);
  Node* p = div->children.at(0);
  Document::append_child(p, div);  // would make a cycle
  EXPECT_EQ(div->parent, doc.body());
  EXPECT_EQ(p->parent, div);
  Document::append_child(p, p);
  EXPECT_EQ(outer_html(*div), "<div><p>x</p></div>");
}

TEST(NodeApi, WalkVisitsInDocumentOrderAndCanSkip) {
  Document doc = Document::parse("<div><p>a</p><script>s</script><i>b</i></div>");
  std::string order;
  walk(*doc.body(), [&](Node& n) {
    order += n.is_element() ? n.tag : "'" + n.text + "'";
    order += ' ';
    return !n.is_element("script");
  });
  EXPECT_EQ(order, "div p 'a' script i 'b' ");
}

}  // namespace
}  // namespace fg::parse
