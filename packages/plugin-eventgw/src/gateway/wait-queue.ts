/** A node of a {@link WaitQueue}; keep it to remove the item later in O(1). */
export interface WaitNode<T> {
  readonly value: T;
  prev: WaitNode<T> | undefined;
  next: WaitNode<T> | undefined;
  /** False once removed (or shifted). */
  linked: boolean;
}

/**
 * A FIFO queue with O(1) push, push-front, shift and removal of any item (a waiter that times out or whose
 * client went away leaves at once, so the length always counts live waiters).
 */
export class WaitQueue<T> {
  private head: WaitNode<T> | undefined;
  private tail: WaitNode<T> | undefined;
  private count = 0;

  get length(): number {
    return this.count;
  }

  /** Appends `value` at the back. */
  push(value: T): WaitNode<T> {
    const node: WaitNode<T> = { value, prev: this.tail, next: undefined, linked: true };
    if (this.tail) this.tail.next = node;
    else this.head = node;
    this.tail = node;
    this.count++;
    return node;
  }

  /** Puts `value` at the front (a retry keeps its place ahead of later arrivals). */
  unshift(value: T): WaitNode<T> {
    const node: WaitNode<T> = { value, prev: undefined, next: this.head, linked: true };
    if (this.head) this.head.prev = node;
    else this.tail = node;
    this.head = node;
    this.count++;
    return node;
  }

  /** The front item, without removing it. */
  peek(): T | undefined {
    return this.head?.value;
  }

  /** Removes and returns the front item. */
  shift(): T | undefined {
    const node = this.head;
    if (!node) return undefined;
    this.remove(node);
    return node.value;
  }

  /** Removes `node`; a node already removed is ignored. */
  remove(node: WaitNode<T>): void {
    if (!node.linked) return;
    node.linked = false;
    if (node.prev) node.prev.next = node.next;
    else this.head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.tail = node.prev;
    node.prev = node.next = undefined;
    this.count--;
  }

  /** Items front to back. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let n = this.head; n; n = n.next) yield n.value;
  }
}
