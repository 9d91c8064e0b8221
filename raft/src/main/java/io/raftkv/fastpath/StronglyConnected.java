package io.raftkv.fastpath;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The strongly connected components of a directed graph (Tarjan's algorithm, iterative so that a
 * large graph cannot overflow the stack). Invariant: two nodes share a component exactly when each
 * reaches the other; a component of one node is not on any cycle.
 */
final class StronglyConnected {
  private final int[] component;
  private final List<List<Integer>> members;

  private StronglyConnected(int[] component, List<List<Integer>> members) {
    this.component = component;
    this.members = members;
  }

  /** The components of the graph whose node {@code a} has the successors {@code successors[a]}. */
  static StronglyConnected of(BitSet[] successors) {
    int n = successors.length;
    int[] index = new int[n];
    int[] low = new int[n];
    int[] component = new int[n];
    Arrays.fill(index, -1);
    boolean[] onStack = new boolean[n];
    ArrayDeque<Integer> stack = new ArrayDeque<>();
    List<List<Integer>> members = new ArrayList<>();
    int[] nextSuccessor = new int[n]; // where the scan of each node's successors resumes
    int counter = 0;
    for (int root = 0; root < n; root++) {
      if (index[root] >= 0) {
        continue;
      }
      ArrayDeque<Integer> path = new ArrayDeque<>(); // the depth-first search's call stack
      path.push(root);
      index[root] = low[root] = counter++;
      stack.push(root);
      onStack[root] = true;
      while (!path.isEmpty()) {
        int v = path.peek();
        int w = successors[v].nextSetBit(nextSuccessor[v]);
        if (w >= 0) {
          nextSuccessor[v] = w + 1;
          if (index[w] < 0) {
            index[w] = low[w] = counter++;
            stack.push(w);
            onStack[w] = true;
            path.push(w);
          } else if (onStack[w]) {
            low[v] = Math.min(low[v], index[w]);
          }
          continue;
        }
        path.pop();
        if (!path.isEmpty()) {
          low[path.peek()] = Math.min(low[path.peek()], low[v]);
        }
        if (low[v] == index[v]) {
          List<Integer> scc = new ArrayList<>();
          int x;
          do {
            x = stack.pop();
            onStack[x] = false;
            component[x] = members.size();
            scc.add(x);
          } while (x != v);
          scc.sort(null);
          members.add(scc);
        }
      }
    }
    return new StronglyConnected(component, members);
  }

  int count() {
    return members.size();
  }

  int component(int node) {
    return component[node];
  }

  /** The nodes of component {@code c}, ascending. */
  List<Integer> members(int c) {
    return members.get(c);
  }

  int lowestMember(int c) {
    return members.get(c).get(0);
  }
}
