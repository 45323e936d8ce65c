package org.example.inventory

fun main(args: Array<String>) {
    println("inventory " + args.joinToString(" "))
}
